//! View structs: what templates see. Built from the model; never the model itself.
