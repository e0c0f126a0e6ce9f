"""Jupyter server glue for binder-cell sessions.

Loaded as a server extension by every session binder-cell starts:

* ``NoDelayChannelsConnection`` turns off Nagle's algorithm on the kernel WebSocket.
  A kernel answers an execute request with several small frames (status, input,
  result, status, reply); with Nagle on, each round trip waits ~40 ms for the
  client's delayed ACK.
* A watchdog stops the server when the binder-cell process that started it is gone,
  so a crashed launch API leaves no kernels behind.
"""

import os
import sys

from tornado.ioloop import PeriodicCallback

try:
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
except ImportError:  # jupyter_server < 2 has no pluggable kernel connection; it keeps Nagle on
    ZMQChannelsWebsocketConnection = None

PARENT_PID_ENV = "BINDER_CELL_PARENT_PID"

if ZMQChannelsWebsocketConnection is not None:

    class NoDelayChannelsConnection(ZMQChannelsWebsocketConnection):
        def connect(self):
            self.websocket_handler.set_nodelay(True)
            return super().connect()


def _jupyter_server_extension_points():
    return [{"module": "binder_cell_jupyter"}]


def _load_jupyter_server_extension(serverapp):
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
