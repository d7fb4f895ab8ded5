"""Qt item models: thin views over the controller's document and the block catalog."""
