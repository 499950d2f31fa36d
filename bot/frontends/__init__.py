"""What users talk to: the command line, the REPL and the Telegram bot."""
