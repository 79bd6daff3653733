import BoxofficeCore
package import BoxofficeSync
public import Foundation
import Synchronization

/// The demand for each escrow event's seats at this node: seats sold, turned away for want of
/// seats, and held, counted per second over the last `window` seconds, and when buyers last wanted
/// any. It sizes what this node asks peers for and what it keeps when it gives (`SeatLedger`), and
/// tells an idle node to give its seats back. In memory only: after a restart it is counted anew.
public final class SeatDemand: Sendable {
    /// What demand is measured over, in seconds: short, so that seats stop flowing to a node soon
    /// after its buyers are served.
    static let window = 10

    private struct Tally: Sendable {
        /// The Unix second each slot counts, and its seats; a slot older than the window counts nothing.
        var seconds = [Int](repeating: .min, count: SeatDemand.window)
        var sold = [Int](repeating: 0, count: SeatDemand.window)
        var refused = [Int](repeating: 0, count: SeatDemand.window)
        var held = [Int](repeating: 0, count: SeatDemand.window)
        var last: Date?

        mutating func add(_ kind: Kind, _ seats: Int, at date: Date) {
            let second = Int(date.timeIntervalSince1970.rounded(.down))
            let slot = ((second % SeatDemand.window) + SeatDemand.window) % SeatDemand.window
            if seconds[slot] != second {
                seconds[slot] = second
                (sold[slot], refused[slot], held[slot]) = (0, 0, 0)
            }
            switch kind {
            case .sold: sold[slot] += seats
            case .refused: refused[slot] += seats
            case .held: held[slot] += seats
            }
            last = max(last ?? date, date)
        }

        func rate(at date: Date) -> SeatDemandRate {
            let now = Int(date.timeIntervalSince1970.rounded(.down))
            var rate = SeatDemandRate()
            for slot in 0..<SeatDemand.window where seconds[slot] > now - SeatDemand.window {
                rate.sold += Double(sold[slot])
                rate.refused += Double(refused[slot])
                rate.held += Double(held[slot])
            }
            let perMinute = 60 / Double(SeatDemand.window)
            return SeatDemandRate(sold: rate.sold * perMinute, refused: rate.refused * perMinute, held: rate.held * perMinute)
        }
    }

    enum Kind { case sold, refused, held }

    /// This node's own buyers' demand, by event.
    private let tallies = Mutex<[String: Tally]>([:])
    /// Seats peers' requests needed that this node could not give, by event and by the peer that
    /// asked: passed on to its other peers (as refused seats), never kept in reserve against them
    /// (`SeatLedger.grant` keeps only the own demand). The latest figure per peer replaces the
    /// last, so a request repeated every sync is counted once, not once per second of the window.
    private let passedOn = Mutex<[String: [String: Relay]]>([:])
    /// The peers that asked for each event's seats, and when they last did.
    private let askers = Mutex<[String: [String: Date]]>([:])
    /// Seats that peers' wants lacked after this node gave what it could, by event and by the peer
    /// that wanted them: listed among this node's wants to its other callers for `window` seconds.
    private let relays = Mutex<[String: [String: Relay]]>([:])

    /// One peer's want or request, as far as this node could not serve it.
    package struct Relay: Sendable, Equatable {
        package var seats: Int
        /// The hops of the want or request it came from.
        package var hops: Int
        var at: Date
    }
    /// When counting began: a node with no demand since is idle from then.
    package let startedAt: Date

    public init(startedAt: Date = Date()) {
        self.startedAt = startedAt
    }

    /// Runs `sale` (a sale or a hold of `seats` seats of event `eventId`) and counts it: sold or
    /// held when it succeeds, refused when it fails for want of seats here (the continuous sync
    /// then asks peers for seats).
    package func noting<T>(_ eventId: String, seats: Int, hold: Bool = false, at date: Date, _ sale: () async throws -> T) async throws -> T {
        do {
            let result = try await sale()
            count(eventId, hold ? .held : .sold, seats, at: date)
            return result
        } catch DomainError.notEnoughSeats(let requested, let available) {
            count(eventId, .refused, requested, at: date)
            throw DomainError.notEnoughSeats(requested: requested, available: available)
        }
    }

    /// Notes that buyers here want `seats` seats of `eventId` that this node does not hold (a
    /// listing that offered none). A peer's demand this node could not meet is `passOn`.
    package func note(_ eventId: String, seats: Int = 1, at date: Date = Date()) {
        count(eventId, .refused, seats, at: date)
    }

    /// The demand for `eventId` over the last `window` seconds, in seats per minute.
    package func rate(of eventId: String, at date: Date) -> SeatDemandRate {
        tallies.withLock { $0[eventId]?.rate(at: date) } ?? SeatDemandRate()
    }

    /// Notes that `node`'s request for `eventId`, `hops` hops from the buyers who made it, needs
    /// `seats` this node could not give. Invariant: a request that has travelled `maxHops` hops is
    /// not passed on, so demand echoed around a cycle of peers dies out instead of growing.
    package func passOn(_ eventId: String, seats: Int, hops: Int = 0, for node: String, at date: Date) {
        passedOn.withLock { passed in
            passed[eventId, default: [:]][node] = seats > 0 && hops < SeatLedger.maxHops ? Relay(seats: seats, hops: hops, at: date) : nil
        }
    }

    /// The demand for `eventId` this node tells peer `node` of, per minute (`strongest`): its
    /// buyers' own over the last `window` seconds, or what other peers passed on, if larger.
    package func wanted(_ eventId: String, at date: Date, excluding node: String? = nil) -> SeatDemandRate {
        strongest(eventId, at: date, excluding: node, relayed: false).rate
    }

    /// The hops of a request for `eventId` sent to `node`: 0 when its demand is this node's
    /// buyers', else one more than those of the passed-on figure it carries.
    package func hops(_ eventId: String, at date: Date, to node: String?) -> Int {
        strongest(eventId, at: date, excluding: node, relayed: false).hops
    }

    /// What this node lists among its wants for `eventId` to `caller` (`GET /sync/seat-wants`),
    /// holding `spare` unsold seats: the seats its demand (`strongest`, relayed wants included)
    /// needs beyond `spare`; nil when it lacks nothing.
    package func want(_ eventId: String, spare: Int, at date: Date, for caller: String?) -> SeatWants.Want? {
        let demand = strongest(eventId, at: date, excluding: caller, relayed: true)
        let lacking = SeatLedger.need(perMinute: demand.rate.seatsPerMinute) - spare
        guard lacking > 0 else { return nil }
        return SeatWants.Want(eventId: eventId, seats: lacking, demand: demand.rate, hops: demand.hops)
    }

    /// The demand for `eventId` this node tells peer `node` of, and its hops: its buyers' own
    /// (hops 0), or, if larger, the largest figure peers other than `node` passed on or (with
    /// `relayed`) their wants still lack, as refused seats, one hop more than that figure's.
    /// Invariant: the largest, never a sum. In a cycle of peers a sum adds a node's own demand
    /// back every time round, and in a mesh one buyer's demand arrives along several paths.
    private func strongest(_ eventId: String, at date: Date, excluding node: String?, relayed: Bool) -> (rate: SeatDemandRate, hops: Int) {
        var rate = self.rate(of: eventId, at: date)
        var figures = [passedOn.withLock { $0[eventId].flatMap { Self.largest($0, at: date, excluding: node) } }]
        if relayed { figures.append(relays.withLock { $0[eventId].flatMap { Self.largest($0, at: date, excluding: node) } }) }
        guard let largest = Self.largest(of: figures.compactMap { $0 }),
            case let perMinute = min(1_000_000, Double(largest.seats) / SeatLedger.horizonMinutes), perMinute > rate.seatsPerMinute
        else { return (rate, 0) }
        // Counted as refused seats, so that the giver's grant rule covers them.
        rate.refused += perMinute - rate.seatsPerMinute
        return (rate, largest.hops + 1)
    }

    /// Notes that `node` asked this node for seats of `eventId`; returns how many peers did in the
    /// last `window` seconds, this one included: a giver's spare is shared among them.
    package func asked(_ eventId: String, by node: String, at date: Date) -> Int {
        askers.withLock { askers in
            askers[eventId, default: [:]][node] = date
            askers[eventId] = askers[eventId]?.filter { date.timeIntervalSince($0.value) < Double(SeatDemand.window) }
            return askers[eventId]?.count ?? 1
        }
    }

    /// Every event with demand here over the last `window` seconds, its buyers' and passed on by
    /// peers other than `node`, per minute.
    package func wanted(at date: Date, excluding node: String? = nil) -> [String: SeatDemandRate] {
        let events = Set(tallies.withLock { Array($0.keys) }).union(passedOn.withLock { Array($0.keys) })
        var wanted: [String: SeatDemandRate] = [:]
        for eventId in events {
            let rate = self.wanted(eventId, at: date, excluding: node)
            if rate.seatsPerMinute > 0 { wanted[eventId] = rate }
        }
        return wanted
    }

    /// Notes what `node`'s wants (read in full: `eventId` → seats still lacking after this node
    /// gave what it could, and the want's hops) leave for this node to relay: each figure replaces
    /// the last, and an event `node` no longer wants, or lacking 0, is forgotten at once.
    /// Invariant: a want that has come `maxHops` hops is not relayed, and nothing stale keeps a
    /// want going around a cycle of peers once its source stops wanting.
    package func relay(_ lacking: [String: (seats: Int, hops: Int)], for node: String, at date: Date) {
        relays.withLock { relays in
            for eventId in Set(relays.keys).union(lacking.keys) {
                relays[eventId, default: [:]][node] = lacking[eventId].flatMap {
                    $0.seats > 0 && $0.hops < SeatLedger.maxHops ? Relay(seats: $0.seats, hops: $0.hops, at: date) : nil
                }
            }
        }
    }

    /// The seats relayed for each event over the last `window` seconds: the largest figure of the
    /// peers that wanted them except `node` (a want is never listed back to the peer it came
    /// from), with its hops.
    package func relayed(at date: Date, excluding node: String?) -> [String: Relay] {
        relays.withLock { relays in relays.compactMapValues { Self.largest($0, at: date, excluding: node) } }
    }

    /// The largest of `byNode`'s figures from the last `window` seconds, except `node`'s; nil when
    /// none counts.
    private static func largest(_ byNode: [String: Relay], at date: Date, excluding node: String?) -> Relay? {
        largest(of: byNode.filter { $0.key != node && date.timeIntervalSince($0.value.at) < Double(SeatDemand.window) }.map(\.value))
    }

    /// The figure with the most seats, and of those the fewest hops: its own hops, so that an
    /// echo that has gone round a cycle keeps counting its hops and dies at `maxHops`.
    private static func largest(of figures: [Relay]) -> Relay? {
        figures.max { ($0.seats, -$0.hops) < ($1.seats, -$1.hops) }
    }

    /// When buyers here last wanted seats of `eventId`; nil if never since the node started.
    package func lastDemand(for eventId: String) -> Date? {
        tallies.withLock { $0[eventId]?.last }
    }

    private func count(_ eventId: String, _ kind: Kind, _ seats: Int, at date: Date) {
        guard seats > 0 else { return }
        tallies.withLock { $0[eventId, default: Tally()].add(kind, seats, at: date) }
    }
}
