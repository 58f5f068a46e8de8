import { describe, expect, it } from 'vitest';
import { isTimestampLine } from './timestamp-line.js';

describe('isTimestampLine', () => {
  it.each([
    'March 11, 2025',
    'Updated: March 11, 2025 09:05 GMT',
    'Published 11 Mar 2025, 14:05',
    'Tue 11 Mar 2025 14.05 GMT',
    '2025-03-11T09:05:00Z',
    '2025-03-11 09:05',
    '11/03/2025',
    '11.03.2025, 09:05 Uhr',
    'Mardi 11 mars 2025 à 14h05',
    'Publié le 11 mars 2025',
    'Stand: 11.03.2025 09:05 Uhr',
    'Actualizado el 11 de marzo de 2025',
    '3 hours ago',
    'vor 3 Stunden',
    'hace 3 horas',
    'il y a 3 heures',
    'March 11th, 2025 at 9:05 a.m. EST',
  ])('%j is a stamp', (line) => {
    expect(isTimestampLine(line)).toBe(true);
  });

  it.each([
    '2024',
    'Chapter 3',
    'By Jane Doe, March 11, 2025',
    'On March 11 the talks began in Jeddah.',
    'Line number 12',
    '343 drones',
    'Ukraine 3 Russia 1',
    'March',
    'Today',
    '',
  ])('%j is not a stamp', (line) => {
    expect(isTimestampLine(line)).toBe(false);
  });
});
