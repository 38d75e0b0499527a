"""FL2xx: links and their fragments lead somewhere. `fix` is the unsafe fix of FL201-FL203 and
FL301."""
