import { describe, expect, it } from 'vitest';
import { isImageCreditLine } from './image-credit-line.js';

describe('isImageCreditLine', () => {
  it.each([
    'Photo: Jane Doe/Reuters',
    'Photograph: Jane Doe for The Example',
    'Image: NASA',
    'Image credit: ESA/Hubble',
    'Credit: Getty Images',
    'Photo by Jane Doe on Unsplash',
    'Foto: dpa',
    'Crédit photo : AFP',
    '(Getty Images)',
    '(AP)',
    '(AP Photo/Efrem Lukatsky)',
    '[Reuters]',
    'Getty Images',
    'Jane Doe/AFP via Getty Images',
    'REUTERS/Jane Doe',
  ])('%j is a credit', (line) => {
    expect(isImageCreditLine(line)).toBe(true);
  });

  it.each([
    'An investigator looks at the damage to an apartment building (AP)',
    'Photos of the meeting were shared on Telegram by the delegation.',
    'Image: a long caption that goes on and on describing the scene in great detail for readers',
    'Reuters reported that the talks had begun.',
    'The AP',
    '(2025)',
    '',
  ])('%j is not a credit', (line) => {
    expect(isImageCreditLine(line)).toBe(false);
  });
});
