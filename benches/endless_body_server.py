import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b" " * 65536
        try:
            self.wfile.write(b"f\r\n{\"userEvents\":[\r\n")
            while True:
                self.wfile.write(b"10000\r\n" + chunk + b"\r\n")
        except Exception:
            pass
    def log_message(self, *a): pass
socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
