export const registryPort = 8081;
export const registryBaseUrl = "http://127.0.0.1:8081";
export async function startRegistry(_bootstrap: string): Promise<number | undefined> {
  console.log("registry: not wired yet");
  return await Promise.resolve(undefined);
}
