"""A stand-in API server for what the real kube-apiserver will not do on
demand (chosen error statuses, a 410 mid-watch): the caller's handler class
served over TLS with the with-kube fixture's own serving certificate, so
clients still verify it. The bound port is written to WORK/stub.port
(atomically) once it listens; tests wait for that file."""
import http.server
import os
import ssl


def serve_tls(handler, pki, work):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(pki, "apiserver.crt"), os.path.join(pki, "apiserver.key"))
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(os.path.join(work, "stub.port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(os.path.join(work, "stub.port.tmp"), os.path.join(work, "stub.port"))
    srv.serve_forever()
