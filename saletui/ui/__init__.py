"""The Textual user interface. Receives an opened store; never opens files itself."""
