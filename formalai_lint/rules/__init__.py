"""Built-in rules, one folder per family (toc, links, related, levels, numbering, tool), one
module per rule, named after what it checks. `registry.built_in_rules` finds them; `shared`
holds what more than one family uses.
"""
