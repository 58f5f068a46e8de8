export { articleFeatures, TITLE_WEIGHT, SUMMARY_WEIGHT, SUMMARY_NAME_WEIGHT, NAME_BOOST, type ArticleFeatures } from './features.js';
export { tokenize, nameWords, proseNameWords, type Tokens } from './tokenize.js';
export { detectLanguage, stopWords, STOP_WORD_LANGUAGES } from './stop-words.js';
export { minhashSignature, signatureSimilarity, SIGNATURE_SIZE } from './minhash.js';
export { addTerms, cosine, idfFromCounts, similarities, truncateTerms, weightedVector, type Idf, type Similarities } from './similarity.js';
export {
  decideStory,
  scoreCandidate,
  CENTROID_TERMS,
  JOIN_THRESHOLD,
  MERGE_THRESHOLD,
  MIN_SIMILARITY_BEYOND_TOP_TERM,
  MIN_TERMS,
  MIN_TITLE_WORDS,
  NEAR_COPY,
  type ArticleToPlace,
  type CandidateStory,
  type DecideOptions,
  type StoryDecision,
} from './decide-story.js';
export { bcubed } from './bcubed.js';
