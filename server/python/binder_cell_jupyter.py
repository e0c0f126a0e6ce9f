"""Jupyter server glue for binder-cell sessions.

Loaded as a server extension by every session binder-cell starts:

* ``NoDelayChannelsConnection`` turns off Nagle's algorithm on the kernel WebSocket.
  A kernel answers an execute request with several small frames (status, input,
  result, status, reply); with Nagle on, each round trip waits ~40 ms for the
  client's delayed ACK.
* A watchdog stops the server when the binder-cell process that started it is gone,
  so a crashed launch API leaves no kernels behind.
* ``binder-cell/bokehjs`` serves the BokehJS files of this environment's bokeh package,
  so that pages draw Bokeh plots with exactly the BokehJS version the kernel's bokeh
  needs, without a CDN. bokeh itself is never imported here.
"""

import json
import os
import sys
from importlib import metadata, util

from tornado import web
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


# The bundles output_notebook() asks for, in the order they must load (BokehJS first).
BOKEHJS_FILES = ["bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables", "bokeh-mathjax"]
BOKEHJS_FILE_PATTERN = r"((?:%s)\.min\.js)" % "|".join(BOKEHJS_FILES)


def bokehjs_dir():
    """The folder of this environment's BokehJS bundles, or None without bokeh."""
    spec = util.find_spec("bokeh")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(spec.submodule_search_locations[0], "server", "static", "js")
    return folder if os.path.isfile(os.path.join(folder, "bokeh.min.js")) else None


def _handlers(base):
    # Imported here so that main() can hide modules from jupyter_server first.
    from jupyter_server.base.handlers import JupyterHandler

    class BokehJSIndexHandler(JupyterHandler):
        """``{"version": ..., "files": [...]}``: the bokeh version and its BokehJS bundles."""

        @web.authenticated
        def get(self):
            self.set_header("Content-Type", "application/json")
            folder = bokehjs_dir()
            if folder is None:
                self.set_status(404)
                self.finish(json.dumps({"message": "bokeh is not installed in the session's environment"}))
                return
            files = [f"{name}.min.js" for name in BOKEHJS_FILES]
            self.finish(
                json.dumps(
                    {
                        "version": metadata.version("bokeh"),
                        "files": [name for name in files if os.path.isfile(os.path.join(folder, name))],
                    }
                )
            )

    class BokehJSFileHandler(JupyterHandler, web.StaticFileHandler):
        """One BokehJS bundle; a 404 when bokeh is not installed."""

        def initialize(self):
            web.StaticFileHandler.initialize(self, path=bokehjs_dir() or "")

        @web.authenticated
        def get(self, path, include_body=True):
            if not self.root:
                raise web.HTTPError(404, "bokeh is not installed in the session's environment")
            return web.StaticFileHandler.get(self, path, include_body)

    bokehjs = base.rstrip("/") + "/binder-cell/bokehjs"
    return [
        (bokehjs, BokehJSIndexHandler),
        (f"{bokehjs}/{BOKEHJS_FILE_PATTERN}", BokehJSFileHandler),
    ]


def _jupyter_server_extension_points():
    return [{"module": "binder_cell_jupyter"}]


def _load_jupyter_server_extension(serverapp):
    serverapp.web_app.add_handlers(".*$", _handlers(serverapp.base_url))
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
