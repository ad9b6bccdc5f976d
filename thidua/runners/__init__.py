"""The long-running jobs, in the manner of GNU Mailman's runners: the daemon's passes over the
inbox, the reply sender, the staff digest and the reminder schedule. They run the parts that
``intake.app.App`` builds from the configuration."""
