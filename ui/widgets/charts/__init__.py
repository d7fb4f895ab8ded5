"""Charts of the instances' history: a state timeline, CPU and memory lines sharing its time axis."""
