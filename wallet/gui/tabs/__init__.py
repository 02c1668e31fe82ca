"""The main window's tabs, one module each; all read and write through the WalletController."""
