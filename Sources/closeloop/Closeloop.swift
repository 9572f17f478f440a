import ArgumentParser

/// `closeloop`: the server and the batch work beside it, each subcommand a thin call into the libraries.
@main
struct Closeloop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closeloop",
        abstract: "Complaint handling from intake to a verified, closed loop.",
        subcommands: [
            Serve.self, Migrate.self, UserCommand.self, DepartmentCommand.self, Config.self, Import.self, Export.self,
            VerifyHistory.self, Backup.self, NotifyCommand.self, ReportCommand.self, MailCommand.self,
            SuggestionsCommand.self, IncidentsCommand.self,
        ])
}
