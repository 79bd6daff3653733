/// The release of this build, shown by `boxoffice --version` and `GET /node`.
public let boxofficeVersion = "0.3.0"
