// Errors from the server's custom requests carry the forge's stable error code
// (`conflict`, `invalid_prompt`, …) in their data.
import { ResponseError } from 'vscode-languageclient/node';

export function errorCode(error: unknown): string | undefined {
  if (error instanceof ResponseError) {
    const data = error.data as { code?: string } | undefined;
    return data?.code;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
