import BoxofficeTestSupport
import Foundation
import Testing

/// Escrow under many seeded schedules (`SeatSimulation`): 50–500 nodes in trees, chains and
/// meshes, a minute of partitions, nodes leaving and skewed demand that moves, then everyone back.
/// After every second no node has sold or given a seat it did not hold and no seat is counted
/// twice; once all are back the seats sell out (99 %; half, in one schedule in four) and every
/// node learns every sale; once the buyers are gone idle seats go back and stop moving. A failure
/// names its schedule's seed:
/// `BOXOFFICE_TEST_SEED=<seed> swift test --filter SeatSimulationTests` replays that one schedule;
/// `BOXOFFICE_SIM_SCHEDULES=<n>` runs n schedules (default 1,000).
@Suite struct SeatSimulationTests {
    /// Virtual seconds of partitions, and at most how long the healed nodes get to sell out.
    private static let chaos = 60
    private static let sellOutWithin = 120

    @Test func escrowHoldsUnderPartitionsAndSeatsSellOutOnceAllAreBack() async throws {
        let environment = ProcessInfo.processInfo.environment
        let replay = environment["BOXOFFICE_TEST_SEED"].flatMap { UInt64($0) }
        let schedules = replay == nil ? environment["BOXOFFICE_SIM_SCHEDULES"].flatMap { Int($0) } ?? 1_000 : 1
        // Minutes of CPU: on a thread of their own at idle priority, beside the real-process tests.
        let report = await withTaskExecutorPreference(IdleThreadExecutor()) {
            var (report, seeds) = (Report(), SeededRandom())
            for _ in 0..<schedules {
                let seed = replay ?? seeds.next()
                var sizes = SeededRandom(seed: seed)
                // Mostly 50 to 100 nodes; one schedule in ten has up to 500.
                let count =
                    Int.random(in: 0..<10, using: &sizes) == 0 ? Int.random(in: 101...500, using: &sizes) : Int.random(in: 50...100, using: &sizes)
                let simulation = SeatSimulation(seed: seed, nodes: count)
                let failure = await run(simulation, into: &report)
                #expect(failure == nil, "seed \(seed) (\(count) nodes, \(simulation.capacity) seats): \(failure ?? "")")
                if failure != nil { break }
            }
            return report
        }
        print(report.summary)
        #expect(report.schedules == schedules)
        // The rule that sends idle seats back was exercised, not only never triggered.
        #expect(report.returned > 0 || schedules < 20)
    }

    /// Runs one schedule; returns what went wrong, if anything.
    private func run(_ simulation: SeatSimulation, into report: inout Report) async -> String? {
        simulation.shiftDemand(sellingOutIn: 40)
        while simulation.tick < Self.chaos {
            if simulation.tick % 10 == 0 { simulation.shiftPartitions() }
            if simulation.tick % 20 == 10 { simulation.shiftDemand(sellingOutIn: 40) }
            await simulation.step()
        }
        simulation.heal()
        simulation.shiftDemand(sellingOutIn: 30)
        // In one schedule in four the buyers leave at half the seats sold: idle seats then have
        // somewhere to go back to.
        let halfway = simulation.seed % 4 == 0
        let target = halfway ? simulation.capacity / 2 : (simulation.capacity * 99 + 99) / 100
        while simulation.sold < target, simulation.tick < Self.chaos + Self.sellOutWithin {
            await simulation.step()
        }
        let sellOut = halfway ? nil : simulation.tick - Self.chaos
        simulation.stopDemand()
        let quiet = simulation.tick
        while !simulation.converged, simulation.tick < quiet + 60 {
            await simulation.step()
        }
        if let violation = simulation.violations.first { return violation }
        guard simulation.sold >= target else {
            return
                "\(simulation.sold) of \(simulation.capacity) sold \(Self.sellOutWithin) s after all came back (target \(target)), \(simulation.stranded) stranded: \(simulation.strandedAt)"
        }
        guard simulation.converged else { return "the nodes still disagree on the sales 60 s after the last one" }
        // Idle seats go back the way they came and stop: no seat moves for 10 s, within the idle
        // time and 90 s more (150 schedules measured took at most 57 s more).
        var (still, settled) = (0, quiet)
        while still < 10 {
            guard simulation.tick < quiet + Int(simulation.idleAfter) + 90 else {
                return "seats still moving \(simulation.tick - quiet) s after the last sale (idle after \(Int(simulation.idleAfter)) s)"
            }
            let moved = simulation.moves
            await simulation.step()
            if simulation.moves == moved { still += 1 } else { (still, settled) = (0, simulation.tick) }
        }
        report.add(simulation, sellOut: sellOut, settle: settled - quiet)
        return nil
    }

    private struct Report {
        var schedules = 0
        var nodes = 0
        var sellOut: [Int] = []
        var settle: [Int] = []
        var moves = 0
        var returned = 0

        mutating func add(_ simulation: SeatSimulation, sellOut seconds: Int?, settle settled: Int) {
            schedules += 1
            nodes += simulation.nodeCount
            if let seconds { sellOut.append(seconds) }
            settle.append(settled)
            moves += simulation.moves
            returned += simulation.returned
        }

        var summary: String {
            "seat simulation: \(schedules) schedules, \(nodes) nodes in all, \(moves) seats moved (\(returned) given back idle); 99 % sold \(Self.spread(sellOut)) after all came back; the last seat moved \(Self.spread(settle)) after the last sale"
        }

        private static func spread(_ seconds: [Int]) -> String {
            let sorted = seconds.sorted()
            return "\(sorted.isEmpty ? 0 : sorted[sorted.count / 2]) s (median), \(sorted.last ?? 0) s (max)"
        }
    }
}
