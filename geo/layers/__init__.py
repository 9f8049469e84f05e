"""Map layers built from infrastructure data: street lighting and traffic speed per road segment."""
