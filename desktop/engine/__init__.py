"""Talking to a Docker Engine: finding it, building, pulling and running (docker-py in worker threads).

Nothing here imports Qt: the window and the command line use the same asyncio functions.
"""
