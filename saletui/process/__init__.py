"""The sales process file: six stages and their milestone templates (config/process.yaml)."""
