// A tiny web server: it answers every request with a friendly page.
// Change the text, build the image again and reload the page in your browser.
const http = require("http");
const os = require("os");

const port = 3000;

const server = http.createServer((request, response) => {
  response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  response.end(`<!doctype html>
<title>Hello from Node.js</title>
<h1>Hello from Node.js in a container!</h1>
<p>This answer came from the computer called <b>${os.hostname()}</b>: that is the container.</p>`);
});

server.listen(port, () => {
  console.log(`The web server is ready: open http://localhost:${port} in your browser.`);
});

// Stop quickly and cleanly when Docker asks the container to stop.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
