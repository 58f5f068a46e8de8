export { NewsfoldError, isPermanent } from './newsfold-error.js';
