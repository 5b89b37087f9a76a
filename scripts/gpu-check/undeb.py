"""Unpacks a .deb's files into a folder, like `dpkg-deb -x`, for machines without dpkg (gpu-check.sh falls back here).

A .deb is an ar archive whose data.tar.{xz,gz,zst} member holds the files; zstd needs the zstd command.
Usage: python3 undeb.py PACKAGE.deb DIR
"""
import io
import subprocess
import sys
import tarfile


def ar_members(data):
    if not data.startswith(b"!<arch>\n"):
        raise SystemExit(f"{sys.argv[1]}: not a .deb (no ar header)")
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58].decode().strip())
        yield name, data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)  # members are 2-byte aligned


def main():
    deb, out = sys.argv[1], sys.argv[2]
    with open(deb, "rb") as f:
        members = dict(ar_members(f.read()))
    name = next((n for n in members if n.startswith("data.tar")), None)
    if name is None:
        raise SystemExit(f"{deb}: no data.tar member")
    payload = members[name]
    if name.endswith(".zst"):
        payload = subprocess.run(["zstd", "-dc"], input=payload, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
        tar.extractall(out)


if __name__ == "__main__":
    main()
