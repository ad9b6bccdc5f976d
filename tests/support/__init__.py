"""What the tests share: builders of real files and mails, the offices and servers they run against,
and the helpers of property tests. Tests import from here, never from each other."""
