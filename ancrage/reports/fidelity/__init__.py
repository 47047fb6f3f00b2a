"""Housing First fidelity (G5): the program scored against the model's five domains, from the data and a
self-assessment, with its history."""
