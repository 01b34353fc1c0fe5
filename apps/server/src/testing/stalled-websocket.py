"""A WebSocket client that subscribes to its events and then never reads.

Used by the slow-consumer test: a tiny receive buffer makes the TCP window
close quickly, so everything the server sends piles up on the server side.
Usage: stalled-websocket.py <host> <port> <access token>
"""
import base64
import json
import os
import socket
import sys
import time

host, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sock.connect((host, port))
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall(
    (
        f"GET /trpc?connectionParams=1 HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
)
response = b""
while b"\r\n\r\n" not in response:
    response += sock.recv(1)
assert b" 101 " in response.split(b"\r\n")[0], response


def send_text(payload: dict) -> None:
    data = json.dumps(payload).encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    if len(data) < 126:
        header += bytes([0x80 | len(data)])
    else:
        header += bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


send_text({"method": "connectionParams", "data": {"accessToken": token}})
send_text({"id": 1, "method": "subscription", "params": {"path": "events.subscribe", "input": {}}})
print("subscribed", flush=True)
time.sleep(600)
