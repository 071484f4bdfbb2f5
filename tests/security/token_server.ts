/**
 * An OAuth token endpoint for the OAUTHBEARER test, run as a child process by
 * secure_support.ts: `token_server.ts <port> <client id> <client secret>`.
 * Answers a JWT signed with the key the broker's JWKS holds to the right
 * client (basic auth or form fields), 401 to anyone else; prints "listening"
 * once bound and "token" for every token given.
 */
import { createServer } from "node:http";
import process from "node:process";
import { signedToken } from "./secure_support.ts";

const [port, clientId, clientSecret] = process.argv.slice(2);
const expected = `Basic ${btoa(`${clientId}:${clientSecret}`)}`;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => body += chunk);
  req.on("end", async () => {
    const form = new URLSearchParams(body);
    const byForm = form.get("client_id") === clientId &&
      form.get("client_secret") === clientSecret;
    if (req.headers.authorization !== expected && !byForm) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_client" }));
      return;
    }
    const token = await signedToken(clientId);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ access_token: token, token_type: "bearer", expires_in: 3600 }));
    console.log("token");
  });
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));
