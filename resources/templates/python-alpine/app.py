"""A first program in a container: it says hello and shows where it runs.

Change the message, build the image again and run it: the container prints your new text.
"""

import platform
import socket


def main() -> None:
    print("Hello from your first container!")
    print(f"Python {platform.python_version()} runs here on {platform.system()}.")
    print(f"This computer is called {socket.gethostname()}: that is the container's own name, not yours.")


if __name__ == "__main__":
    main()
