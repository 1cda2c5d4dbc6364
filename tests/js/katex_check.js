// Typeset formulas with KaTeX and no macros, as VS Code and GitHub-style renderers do.
// stdin: JSON [{"tex": "...", "display": true}, ...]; stdout: JSON [null | "error message", ...].
const katex = require("katex");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ tex, display }) => {
    try {
      katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "ignore" });
      return null;
    } catch (error) {
      return String(error.message || error);
    }
  });
  process.stdout.write(JSON.stringify(results));
});
