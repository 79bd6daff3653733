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

    /// One peer's want, as far as this node could not serve it.
    package struct Relay: Sendable, Equatable {
        package var seats: Int
        /// The hops of the want it came from.
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

    /// The demand for `eventId` here over the last `window` seconds, per minute: its buyers', and
    /// the largest figure peers other than `node` passed on (never told back to where it came from).
    package func wanted(_ eventId: String, at date: Date, excluding node: String? = nil) -> SeatDemandRate {
        var rate = self.rate(of: eventId, at: date)
        if let passed = passed(eventId, at: date, excluding: node) {
            rate.refused = min(1_000_000, rate.refused + Double(passed.seats) / SeatLedger.horizonMinutes)
        }
        return rate
    }

    /// The hops of a request for `eventId` sent to `node`: 0 when buyers here want seats, else one
    /// more than the fewest hops of the demand other peers passed on.
    package func hops(_ eventId: String, at date: Date, to node: String?) -> Int {
        hops(eventId, at: date, from: [passed(eventId, at: date, excluding: node)])
    }

    /// What this node lists among its wants for `eventId` to `caller` (`GET /sync/seat-wants`),
    /// holding `spare` unsold seats: what its demand (its buyers', and passed on by other peers)
    /// and the seats it relays for other peers need beyond `spare`; nil when it lacks nothing.
    /// Relayed seats count as refused demand, so that the giver's grant rule covers them.
    package func want(_ eventId: String, spare: Int, at date: Date, for caller: String?) -> SeatWants.Want? {
        var rate = wanted(eventId, at: date, excluding: caller)
        let relay = relays.withLock { $0[eventId].flatMap { Self.largest($0, at: date, excluding: caller) } }
        let lacking = SeatLedger.lacking(spare: spare, perMinute: rate.seatsPerMinute, relayed: relay?.seats ?? 0)
        guard lacking > 0 else { return nil }
        let hops = hops(eventId, at: date, from: [passed(eventId, at: date, excluding: caller), relay])
        rate.refused = min(1_000_000, rate.refused + Double(relay?.seats ?? 0) / SeatLedger.horizonMinutes)
        return SeatWants.Want(eventId: eventId, seats: lacking, demand: rate, hops: hops)
    }

    /// 0 when buyers here want seats of `eventId`, else one more than the fewest hops of `sources`.
    private func hops(_ eventId: String, at date: Date, from sources: [Relay?]) -> Int {
        guard rate(of: eventId, at: date).seatsPerMinute == 0, let fewest = sources.compactMap({ $0?.hops }).min() else { return 0 }
        return fewest + 1
    }

    /// What peers other than `node` passed on for `eventId` in the window.
    private func passed(_ eventId: String, at date: Date, excluding node: String?) -> Relay? {
        passedOn.withLock { $0[eventId].flatMap { Self.largest($0, at: date, excluding: node) } }
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
    /// from), with the fewest hops among them.
    package func relayed(at date: Date, excluding node: String?) -> [String: Relay] {
        relays.withLock { relays in relays.compactMapValues { Self.largest($0, at: date, excluding: node) } }
    }

    /// The largest of `byNode`'s figures from the last `window` seconds, except `node`'s, with the
    /// fewest hops among them; nil when none counts. Not their sum: in a mesh one buyer's demand
    /// reaches a node along several paths, and summing them at every node multiplies it without
    /// bound (a want of 10^16 seats within a minute, in the seat simulation).
    private static func largest(_ byNode: [String: Relay], at date: Date, excluding node: String?) -> Relay? {
        var largest: Relay?
        for (peer, relay) in byNode where peer != node && date.timeIntervalSince(relay.at) < Double(SeatDemand.window) {
            largest = largest.map { Relay(seats: max($0.seats, relay.seats), hops: min($0.hops, relay.hops), at: date) } ?? relay
        }
        return largest
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
