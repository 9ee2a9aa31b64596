#!/usr/bin/env python3
"""An audio device for tests: drains a FIFO that ALSA's file plugin writes
to at the pace of a 22050 Hz 16-bit mono device (its null PCM below takes
audio as fast as it comes, so undrained SDL would write silence as fast as
the CPU goes), appending what it reads to a raw file. Each time a writer
opens the FIFO (the device opened) the first time is written to OPENED.
Runs until killed (tests/cli/headset_alsa.sh).

    pacer.py FIFO RAW OPENED
    pacer.py --loud RAW      prints the seconds of 20 ms frames above -40 dBFS
"""
import array
import math
import sys
import time

BYTES_PER_S = 44100
CHUNK = 882  # 20 ms


def drain(fifo, raw, opened):
    with open(raw, "ab", buffering=0) as out:
        while True:
            with open(fifo, "rb") as f:  # waits for a writer
                t0 = time.time()
                try:
                    with open(opened, "x") as o:
                        o.write("%.6f\n" % t0)
                except FileExistsError:
                    pass
                got = 0
                while True:
                    b = f.read(CHUNK)
                    if not b:
                        break
                    out.write(b)
                    got += len(b)
                    ahead = got / BYTES_PER_S - (time.time() - t0)
                    if ahead > 0:
                        time.sleep(ahead)


def loud_seconds(raw):
    data = open(raw, "rb").read()
    a = array.array("h")
    a.frombytes(data[: len(data) // 2 * 2])
    frame = CHUNK // 2
    loud = 0
    for i in range(len(a) // frame):
        s = a[i * frame : (i + 1) * frame]
        if math.sqrt(sum(x * x for x in s) / frame) > 300:
            loud += 1
    return loud / 50


if __name__ == "__main__":
    if sys.argv[1] == "--loud":
        print("%.2f" % loud_seconds(sys.argv[2]))
    else:
        drain(*sys.argv[1:4])
