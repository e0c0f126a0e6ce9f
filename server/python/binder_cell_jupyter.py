"""Jupyter server glue for binder-cell sessions.

Loaded as a server extension by every session binder-cell starts:

* ``NoDelayChannelsConnection`` turns off Nagle's algorithm on the kernel WebSocket.
  A kernel answers an execute request with several small frames (status, input,
  result, status, reply); with Nagle on, each round trip waits ~40 ms for the
  client's delayed ACK.
* A watchdog stops the server when the binder-cell process that started it is gone,
  so a crashed launch API leaves no kernels behind.
* IOPub rate limits ten times jupyter_server's: its defaults (1 MB/s of stream text,
  1,000 messages/s, over 3 s) drop output to spare the browser, but binder-cell's SDK
  keeps what a cell shows bounded itself. So a single print of megabytes, or
  ``print(..., flush=True)`` in a fast loop, reaches the page.
"""

import os
import sys

from tornado.ioloop import PeriodicCallback
from traitlets import Float

try:
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
except ImportError:  # jupyter_server < 2 has no pluggable kernel connection; it keeps Nagle on
    ZMQChannelsWebsocketConnection = None

PARENT_PID_ENV = "BINDER_CELL_PARENT_PID"

IOPUB_MSG_RATE_LIMIT = 10_000.0
IOPUB_DATA_RATE_LIMIT = 10_000_000.0

if ZMQChannelsWebsocketConnection is not None:

    class NoDelayChannelsConnection(ZMQChannelsWebsocketConnection):
        iopub_msg_rate_limit = Float(IOPUB_MSG_RATE_LIMIT, config=True, help="(msgs/sec)")
        iopub_data_rate_limit = Float(IOPUB_DATA_RATE_LIMIT, config=True, help="(bytes/sec)")

        def connect(self):
            self.websocket_handler.set_nodelay(True)
            return super().connect()


def _jupyter_server_extension_points():
    return [{"module": "binder_cell_jupyter"}]


def _load_jupyter_server_extension(serverapp):
    if ZMQChannelsWebsocketConnection is None:
        # jupyter_server 1.x reads the limits from the web app's settings on each connection.
        serverapp.web_app.settings["iopub_msg_rate_limit"] = IOPUB_MSG_RATE_LIMIT
        serverapp.web_app.settings["iopub_data_rate_limit"] = IOPUB_DATA_RATE_LIMIT
    parent = os.environ.get(PARENT_PID_ENV)
    if not parent:
        return

    def stop_if_orphaned():
        if os.getppid() != int(parent):
            serverapp.log.warning("binder-cell (pid %s) is gone; stopping", parent)
            watchdog.stop()
            serverapp.stop()

    watchdog = PeriodicCallback(stop_if_orphaned, 1000)
    watchdog.start()


def main():
    """Starts jupyter_server the way binder-cell sessions need it.

    jsonschema uses rfc3987_syntax when it can import it, and importing it compiles a
    grammar: ~2 s added to every server start, for IRI format checks that a kernel-only
    server never makes. Hiding the module from this process (kernels are separate
    processes and still see it) makes jsonschema skip those checks.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    from jupyter_server.serverapp import main as serve

    sys.exit(serve())


if __name__ == "__main__":
    main()
