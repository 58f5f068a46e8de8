import { describe, expect, it } from 'vitest';
import { isBoilerplateLine } from './boilerplate-line.js';

describe('isBoilerplateLine', () => {
  it.each([
    'Log In', 'Sign in', 'Or with username:', 'Forgot password?', 'Remember me', 'Lost your password?',
    'Leave a Reply', 'Cancel reply', 'Post Comment', 'Comments (3)', '3 Comments',
    'Your email address will not be published. Required fields are marked *',
    'Save my name, email, and website in this browser for the next time I comment.',
    'Privacy Policy', 'Terms of Service', 'Terms of Use', 'Cookie settings', 'Add to Collection',
    'Share this:', 'Share on X', 'Click to share on Facebook (Opens in new window)', 'Like this:',
    'Loading...', 'Advertisement', 'Subscribe', 'Subscribe to our newsletter',
    'Sign up to our free weekly newsletter for the best of the week.', 'Related Posts', 'Read more »',
    'Continue reading', 'Log in to comment', '• Privacy · Terms · Cookies •', 'Log in | Register',
    'The post Budget vote passes: what it means appeared first on Example News.',
    '(function(){var d=document;})();', '© 2025 Example Media', 'Copyright © 2025 Example. All rights reserved.',
    'Se connecter', 'Mot de passe oublié ?', 'Datenschutzerklärung', 'Anmelden', 'Iniciar sesión',
    '¿Olvidaste tu contraseña?', 'Política de privacidad', 'Politique de confidentialité',
  ])('%j is chrome', (line) => {
    expect(isBoilerplateLine(line)).toBe(true);
  });

  it.each([
    'Readers who subscribe to the print edition get the app free.',
    'The privacy regulator fined the company.',
    'Subscribers rose 5%.',
    'Share prices fell.',
    'Comments from the minister',
    'More than 90 drones were aimed at Moscow.',
    'Sign language interpreters were present.',
    'Cookie sales doubled',
    'He said: “Log in and see for yourself.”',
    'The post office reopened on Monday.',
    'Copyright law is changing.',
    'Переговоры начались.',
    'By Jane Doe',
    'THR INDEPENDENT',
    '* * *',
    '',
  ])('%j is content', (line) => {
    expect(isBoilerplateLine(line)).toBe(false);
  });
});
