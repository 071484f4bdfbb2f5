/** The error of messages a producer could not deliver. */
import { TransportError } from "../errors.ts";

/** A delivery failure of `failed` of `total` messages of `name`, keeping librdkafka's code. */
export function deliveryFailure(
  name: string,
  failed: number,
  total: number,
  error: Error,
): TransportError {
  return new TransportError(
    `${failed} of ${total} ${name} messages were not delivered: ${error.message}`,
    {
      cause: error,
      code: (error as TransportError).code,
      codeName: (error as TransportError).codeName,
    },
  );
}
