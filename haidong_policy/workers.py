"""The production worker (haidong_policy/gunicorn.conf.py): gunicorn's sync worker, except that after
an answer the connection is closed at once when the client's whole request was read and it sent
nothing more.

gunicorn 24+ lingers after every answer until the client closes its side (RFC 9112 §9.6), which keeps
a sync worker from the next request for a round trip to the client: about 7% of the eligibility API's
throughput on two cores (issue 15, bench/README.md). The lingering is there for a client whose data
arrives after the close, which would make the kernel send a reset and cut the answer short. That can
only happen while part of the request is still to come: an answer given before the body was read
(413, 429, 400, 401...), a chunked body, a pipelined request. Those connections keep gunicorn's
lingering close.

`handle` is gunicorn 27's SyncWorker.handle with that close.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import ssl

from gunicorn import http, sock, util
from gunicorn.http.body import LengthReader
from gunicorn.workers import sync


def request_received(req) -> bool:
    """Whether the whole request was read: a body of known length read to its end (none is length 0).
    A chunked body, or one whose reading failed, is not known to be."""
    body = getattr(req, "body", None)
    reader = getattr(body, "reader", None)
    return isinstance(reader, LengthReader) and reader.length == 0 and not body.failed


def close_after_answer(client: socket.socket, req) -> None:
    """Close at once when the request was read whole and nothing more is waiting; else gunicorn's
    lingering close."""
    if not request_received(req):
        util.close_graceful(client)
        return
    try:
        pending = client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        pending = b""  # nothing unread: a close cannot reset the connection
    except OSError:
        pending = b""  # the connection is gone already
    if pending:
        util.close_graceful(client)
        return
    with contextlib.suppress(OSError):
        client.close()  # the kernel sends what is left of the answer, then FIN


class SyncWorker(sync.SyncWorker):
    def handle(self, listener, client, addr):
        req = None
        try:
            if self.cfg.is_ssl:
                client = sock.ssl_wrap_socket(client, self.cfg)
            parser = http.get_parser(self.cfg, client, addr)
            req = next(parser)
            self.handle_request(listener, req, client, addr)
        except http.errors.NoMoreData as e:
            self.log.debug("Ignored premature client disconnection. %s", e)
        except StopIteration as e:
            self.log.debug("Closing connection. %s", e)
        except ssl.SSLError as e:
            if e.args[0] == ssl.SSL_ERROR_EOF:
                self.log.debug("ssl connection closed")
                client.close()
            else:
                self.log.debug("Error processing SSL request.")
                self.handle_error(req, client, addr, e)
        except OSError as e:
            if e.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN):
                self.log.exception("Socket error processing request.")
            elif e.errno == errno.ECONNRESET:
                self.log.debug("Ignoring connection reset")
            elif e.errno == errno.ENOTCONN:
                self.log.debug("Ignoring socket not connected")
            else:
                self.log.debug("Ignoring EPIPE")
        except BaseException as e:
            self.handle_error(req, client, addr, e)
        finally:
            if isinstance(client, ssl.SSLSocket):
                util.close_graceful(client)  # TLS has its own close to make
            else:
                close_after_answer(client, req)
