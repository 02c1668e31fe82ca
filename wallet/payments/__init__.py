"""Payment requests, URIs, QR codes; no Qt.

QR modules (``qr_*``): rendering (:mod:`.qr_render`), decoding images and camera frames
(:mod:`.qr_decode`), and the small payload classifier (:mod:`.qr_payload`). The Qt side (camera,
clipboard, screen, scanner widget) lives in :mod:`wallet.gui.scanner`.
"""
