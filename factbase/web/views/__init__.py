"""One module per screen of the desk; each exports `routes`."""
