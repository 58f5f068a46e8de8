import { NewsfoldError } from '@newsfold/errors';

/** A problem with what the user asked for: printed as one line, exit status 1 (2 for usage). */
export class CliError extends NewsfoldError {
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1) {
    super(code, message, { permanent: true });
    this.exitCode = exitCode;
  }
}
