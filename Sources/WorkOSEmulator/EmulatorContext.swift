import Hummingbird
import NIOCore

/// Request context that keeps the connection, so a dropped-connection fault can close it.
struct EmulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Request bodies are small JSON objects; anything larger is refused before it is read.
    var maxUploadSize: Int { 1 << 20 }
}
