# A stub of RuQi's package (meetbill/butterfly xlib), just enough for pickles to name RuQi's functions and classes.
