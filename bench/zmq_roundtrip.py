"""Execute round trips of `1+1` over raw ZMQ with jupyter_client: the kernel's own floor.

Usage: python zmq_roundtrip.py RUNS  (prints one sample in ms per line)
"""

import sys
import time

from jupyter_client.manager import start_new_kernel


def main():
    runs = int(sys.argv[1])
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        quiet = lambda message: None  # noqa: E731
        for _ in range(10):
            client.execute_interactive("1+1", output_hook=quiet)
        for _ in range(runs):
            start = time.perf_counter()
            client.execute_interactive("1+1", output_hook=quiet)
            print((time.perf_counter() - start) * 1000, flush=True)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
