"""Jupyter server glue for binder-cell sessions.

Loaded as a server extension by every session binder-cell starts (jupyter_server 1.23,
as Debian ships it in images, and 2.x, as venvs get it):

* The kernel WebSocket turns off Nagle's algorithm. A kernel answers an execute
  request with several small frames (status, input, result, status, reply); with
  Nagle on, each round trip waits ~40 ms for the client's delayed ACK.
* Diagnostics name files the way a reader can place them: in ``error`` outputs and
  ``stderr`` streams, paths inside the repository become relative to it, paths
  inside the environment start with ``<env>`` and paths of the Python installation
  the environment was made from (its standard library) with ``<python>``, so no
  reader sees where the server keeps its sessions, environments and Pythons.
* A kernel started with a ``path`` (its working directory, relative to the
  repository) never starts outside the repository, whatever the client asks.
* A watchdog stops the server when the binder-cell process that started it is gone,
  so a crashed launch API leaves no kernels behind.
* IOPub rate limits ten times jupyter_server's: its defaults (1 MB/s of stream text,
  1,000 messages/s, over 3 s) drop output to spare the browser, but binder-cell's SDK
  keeps what a cell shows bounded itself. So a single print of megabytes, or
  ``print(..., flush=True)`` in a fast loop, reaches the page.
* ``binder-cell/bokehjs`` serves the BokehJS files of this environment's bokeh package,
  so that pages draw Bokeh plots with exactly the BokehJS version the kernel's bokeh
  needs, without a CDN. bokeh itself is never imported here.
"""

import json
import os
import re
import sys
from importlib import metadata, util

from tornado import web
from tornado.ioloop import PeriodicCallback
from traitlets import Float

try:
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
except ImportError:  # jupyter_server < 2: the WebSocket handler is replaced in main() instead
    ZMQChannelsWebsocketConnection = None

PARENT_PID_ENV = "BINDER_CELL_PARENT_PID"
PATHS_SETTING = "binder_cell_paths"
ENV_LABEL = "<env>"
PYTHON_LABEL = "<python>"
# Prefixes too common to rewrite: outside the server's own folders, they name nothing private.
SYSTEM_PREFIXES = {"/", "/usr", "/usr/local"}


class SessionPaths:
    """Rewrites absolute paths of the repository (``root_dir``), of the environment
    (``sys.prefix``) and of the Python it was made from (``sys.base_prefix``, where a
    venv's standard library lives) in diagnostics: ``<root>/pkg/mod.py`` becomes
    ``pkg/mod.py`` (the root itself ``.``), ``<prefix>/lib/...`` becomes ``<env>/lib/...``
    and ``<base prefix>/lib/...`` becomes ``<python>/lib/...``. A Python that is not in a
    venv has one prefix: ``<env>`` names it. IPython writes paths under ``$HOME`` as
    ``~/...``; those forms are rewritten too.
    """

    def __init__(self, root_dir, env_prefix, home, python_prefix=None):
        labels = {}
        named = ((env_prefix, ENV_LABEL), (python_prefix, PYTHON_LABEL), (root_dir, ""))
        for path, label in named:
            for form in _spellings(path):
                if form not in SYSTEM_PREFIXES:
                    labels.setdefault(form, label)
        home = home.rstrip("/")
        if home not in SYSTEM_PREFIXES:
            for form, label in list(labels.items()):
                if form == home or form.startswith(home + "/"):
                    labels.setdefault("~" + form[len(home) :], label)
        self._labels = labels
        # Longest first, so a path inside another one gets its own label; a prefix must
        # end at a separator or where a path cannot go on (`/srv/venv` is not `/srv/venv2`,
        # but a sentence may end right after a path).
        alternatives = "|".join(re.escape(form) for form in sorted(labels, key=len, reverse=True))
        end = "(?:/|(?![\\w~-]|\\.[\\w.-]))"
        self._pattern = re.compile(f"(?:{alternatives}){end}") if labels else None

    def rewrite(self, text):
        if self._pattern is None:
            return text
        return self._pattern.sub(self._replace, text)

    def _replace(self, match):
        found = match.group(0)
        separator = found.endswith("/")
        label = self._labels[found[:-1] if separator else found]
        if label:
            return label + ("/" if separator else "")
        if separator:
            return ""
        # `~` alone is too common a word to stand for the repository.
        return "." if not found.startswith("~") else found

    def rewrite_content(self, msg_type, content):
        """The content of an IOPub message with paths rewritten, or None when it has none to rewrite."""
        if msg_type == "stream" and content.get("name") == "stderr":
            return {**content, "text": self.rewrite(content.get("text", ""))}
        if msg_type == "error":
            return {
                **content,
                "evalue": self.rewrite(content.get("evalue", "")),
                "traceback": [self.rewrite(line) for line in content.get("traceback", [])],
            }
        return None

    def rewrite_reply(self, session, channel, msg):
        """A message on its way to the WebSocket with paths rewritten.

        ``msg`` is a deserialized message (the legacy JSON subprotocol) or, for the
        ``v1.kernel.websocket.jupyter.org`` subprotocol, its still-packed frames
        ``[header, parent_header, metadata, content, *buffers]``; only ``stream`` and
        ``error`` messages on IOPub are unpacked.
        """
        if channel != "iopub":
            return msg
        if isinstance(msg, dict):
            content = self.rewrite_content(msg["header"]["msg_type"], msg["content"])
            return msg if content is None else {**msg, "content": content}
        header = bytes(msg[0])
        if b'"stream"' not in header and b'"error"' not in header:
            return msg
        msg_type = session.unpack(header).get("msg_type")
        content = self.rewrite_content(msg_type, session.unpack(bytes(msg[3])))
        return msg if content is None else [*msg[:3], session.pack(content), *msg[4:]]


def _spellings(path):
    """A folder as given and with its symbolic links resolved, without a trailing slash."""
    if not path:
        return []
    given = os.path.abspath(path).rstrip("/") or "/"
    return list(dict.fromkeys([given, os.path.realpath(given).rstrip("/") or "/"]))


def _paths_of(settings):
    return settings.get(PATHS_SETTING)


IOPUB_MSG_RATE_LIMIT = 10_000.0
IOPUB_DATA_RATE_LIMIT = 10_000_000.0

if ZMQChannelsWebsocketConnection is not None:

    class NoDelayChannelsConnection(ZMQChannelsWebsocketConnection):
        """The kernel WebSocket of jupyter_server 2 (``kernel_websocket_connection_class``)."""

        iopub_msg_rate_limit = Float(IOPUB_MSG_RATE_LIMIT, config=True, help="(msgs/sec)")
        iopub_data_rate_limit = Float(IOPUB_DATA_RATE_LIMIT, config=True, help="(bytes/sec)")

        def connect(self):
            self.websocket_handler.set_nodelay(True)
            return super().connect()

        def _on_zmq_reply(self, stream, msg_list):
            paths = _paths_of(self.websocket_handler.settings)
            if paths is not None:
                channel = getattr(stream, "channel", None)
                msg_list = paths.rewrite_reply(self.session, channel, msg_list)
            return super()._on_zmq_reply(stream, msg_list)


def _legacy_channels_handler():
    """The kernel WebSocket handler of jupyter_server 1.x, which has no pluggable connection.

    Its ``_on_zmq_reply`` parses a reply, then hands it to ``ZMQStreamHandler._on_zmq_reply``
    to write; the rewriting class sits between the two in the method resolution order.
    """
    from jupyter_server.base.zmqhandlers import ZMQStreamHandler
    from jupyter_server.services.kernels.handlers import ZMQChannelsHandler

    class RewritingReplies(ZMQStreamHandler):
        def _on_zmq_reply(self, stream, msg_list):
            paths = _paths_of(self.settings)
            if paths is not None:
                channel = getattr(stream, "channel", None)
                msg_list = paths.rewrite_reply(self.session, channel, msg_list)
            return super()._on_zmq_reply(stream, msg_list)

    class NoDelayChannelsHandler(ZMQChannelsHandler, RewritingReplies):
        def open(self, kernel_id):
            self.set_nodelay(True)
            return super().open(kernel_id)

    return ZMQChannelsHandler, NoDelayChannelsHandler


def _use_legacy_channels_handler():
    """Registers the 1.x handler above in place of the stock one, before the web app is built."""
    from jupyter_server.services.kernels import handlers

    stock, replacement = _legacy_channels_handler()
    handlers.default_handlers = [
        (pattern, replacement if handler is stock else handler)
        for pattern, handler in handlers.default_handlers
    ]


def _keep_kernels_in_root(kernel_manager, log):
    """Kernels start in the folder a ``path`` names (jupyter_server walks up from a notebook
    path to its folder), but never outside ``root_dir``: such a path starts them at the root.
    """
    resolve = kernel_manager.cwd_for_path

    def cwd_for_path(path, **kwargs):
        cwd = resolve(path, **kwargs)
        root = os.path.realpath(kernel_manager.root_dir)
        if os.path.commonpath([os.path.realpath(cwd), root]) == root:
            return cwd
        log.warning("kernel path %r is outside the root; starting the kernel at the root", path)
        return kernel_manager.root_dir

    kernel_manager.cwd_for_path = cwd_for_path


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
    serverapp.web_app.settings[PATHS_SETTING] = SessionPaths(
        serverapp.root_dir, sys.prefix, os.path.expanduser("~"), sys.base_prefix
    )
    _keep_kernels_in_root(serverapp.kernel_manager, serverapp.log)
    if ZMQChannelsWebsocketConnection is None:
        # jupyter_server 1.x reads the limits from the web app's settings on each connection.
        serverapp.web_app.settings["iopub_msg_rate_limit"] = IOPUB_MSG_RATE_LIMIT
        serverapp.web_app.settings["iopub_data_rate_limit"] = IOPUB_DATA_RATE_LIMIT
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
    if ZMQChannelsWebsocketConnection is None:
        _use_legacy_channels_handler()
    from jupyter_server.serverapp import main as serve

    sys.exit(serve())


if __name__ == "__main__":
    main()
