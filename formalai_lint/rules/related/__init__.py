"""FL3xx: the related-topics section names documents that exist, by their titles."""
