"""The QR scanner: frame sources (camera, video file), the decoding pipeline, the widget.

Decoding itself is headless (:mod:`wallet.payments.qr_decode`); this package moves pictures
from Qt (camera, video file, clipboard, screen) to it without ever blocking the UI thread. A
scan only ever emits the decoded text: nothing is paid without the user confirming.
"""
