/// Go's `sort.Sort`: the unstable sort kubectl orders rows with, ported so that items which
/// compare equal end in the order Go leaves them.
///
/// Since Go 1.19 `sort.Sort` is a pattern-defeating quicksort (`sort/zsortinterface.go`,
/// `pdqsort` with `limit = bits.Len(n)`): an insertion sort for 12 items or fewer, which is
/// stable, and beyond that partitions whose order of equal items depends on every comparison
/// made. The port keeps Go's comparisons and swaps one for one, including `breakPatterns`'
/// xorshift with the 64-bit shifts 13, 7, 17 of the Go releases kubectl 1.36 is built with
/// (Go 1.19 to 1.2x shifted 13, 17, 5, which reorders some ties).
///
///     var rows = [(1, "a"), (0, "b"), (1, "c")]
///     GoSort.sort(&rows) { $0.0 < $1.0 }   // [(0, "b"), (1, "a"), (1, "c")]
enum GoSort {
    static func sort<Element>(_ data: inout [Element], by less: (Element, Element) -> Bool) {
        let n = data.count
        guard n > 1 else { return }
        withoutActuallyEscaping(less) { less in
            var sorter = Sorter(data: data, less: less)
            data = []  // the sorter holds the only copy while it works
            sorter.pdqsort(0, n, limit: bitLength(UInt(n)))
            data = sorter.data
        }
    }

    /// `bits.Len`: the number of bits needed to write `x`.
    static func bitLength(_ x: UInt) -> Int { UInt.bitWidth - x.leadingZeroBitCount }

    private enum SortedHint { case unknown, increasing, decreasing }

    private struct Sorter<Element> {
        var data: [Element]
        let less: (Element, Element) -> Bool

        func less(_ i: Int, _ j: Int) -> Bool { less(data[i], data[j]) }
        mutating func swap(_ i: Int, _ j: Int) { data.swapAt(i, j) }

        mutating func insertionSort(_ a: Int, _ b: Int) {
            var i = a + 1
            while i < b {
                var j = i
                while j > a, less(j, j - 1) {
                    swap(j, j - 1)
                    j -= 1
                }
                i += 1
            }
        }

        mutating func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
            var root = lo
            while true {
                var child = 2 * root + 1
                if child >= hi { return }
                if child + 1 < hi, less(first + child, first + child + 1) { child += 1 }
                if !less(first + root, first + child) { return }
                swap(first + root, first + child)
                root = child
            }
        }

        mutating func heapSort(_ a: Int, _ b: Int) {
            let first = a, hi = b - a
            var i = (hi - 1) / 2
            while i >= 0 {
                siftDown(i, hi, first)
                i -= 1
            }
            i = hi - 1
            while i >= 0 {
                swap(first, first + i)
                siftDown(0, i, first)
                i -= 1
            }
        }

        mutating func pdqsort(_ a0: Int, _ b0: Int, limit limit0: Int) {
            let maxInsertion = 12
            var a = a0, b = b0, limit = limit0
            var wasBalanced = true, wasPartitioned = true
            while true {
                let length = b - a
                if length <= maxInsertion {
                    insertionSort(a, b)
                    return
                }
                // Too many bad pivots: fall back to heapsort.
                if limit == 0 {
                    heapSort(a, b)
                    return
                }
                if !wasBalanced {
                    breakPatterns(a, b)
                    limit -= 1
                }
                var (pivot, hint) = choosePivot(a, b)
                if hint == .decreasing {
                    reverseRange(a, b)
                    pivot = (b - 1) - (pivot - a)
                    hint = .increasing
                }
                // Likely sorted already.
                if wasBalanced, wasPartitioned, hint == .increasing, partialInsertionSort(a, b) { return }
                // Many equal items: split off those equal to the pivot.
                if a > 0, !less(a - 1, pivot) {
                    a = partitionEqual(a, b, pivot)
                    continue
                }
                let (mid, alreadyPartitioned) = partition(a, b, pivot)
                wasPartitioned = alreadyPartitioned
                let leftLen = mid - a, rightLen = b - mid
                let balanceThreshold = length / 8
                if leftLen < rightLen {
                    wasBalanced = leftLen >= balanceThreshold
                    pdqsort(a, mid, limit: limit)
                    a = mid + 1
                } else {
                    wasBalanced = rightLen >= balanceThreshold
                    pdqsort(mid + 1, b, limit: limit)
                    b = mid
                }
            }
        }

        mutating func partition(_ a: Int, _ b: Int, _ pivot: Int) -> (Int, Bool) {
            swap(a, pivot)
            var i = a + 1, j = b - 1
            while i <= j, less(i, a) { i += 1 }
            while i <= j, !less(j, a) { j -= 1 }
            if i > j {
                swap(j, a)
                return (j, true)
            }
            swap(i, j)
            i += 1
            j -= 1
            while true {
                while i <= j, less(i, a) { i += 1 }
                while i <= j, !less(j, a) { j -= 1 }
                if i > j { break }
                swap(i, j)
                i += 1
                j -= 1
            }
            swap(j, a)
            return (j, false)
        }

        mutating func partitionEqual(_ a: Int, _ b: Int, _ pivot: Int) -> Int {
            swap(a, pivot)
            var i = a + 1, j = b - 1
            while true {
                while i <= j, !less(a, i) { i += 1 }
                while i <= j, less(a, j) { j -= 1 }
                if i > j { break }
                swap(i, j)
                i += 1
                j -= 1
            }
            return i
        }

        mutating func partialInsertionSort(_ a: Int, _ b: Int) -> Bool {
            let maxSteps = 5, shortestShifting = 50
            var i = a + 1
            for _ in 0..<maxSteps {
                while i < b, !less(i, i - 1) { i += 1 }
                if i == b { return true }
                if b - a < shortestShifting { return false }
                swap(i, i - 1)
                // Shift the smaller one left (Go's loop runs down to 1, not to a).
                if i - a >= 2 {
                    var j = i - 1
                    while j >= 1, less(j, j - 1) {
                        swap(j, j - 1)
                        j -= 1
                    }
                }
                // Shift the greater one right.
                if b - i >= 2 {
                    var j = i + 1
                    while j < b, less(j, j - 1) {
                        swap(j, j - 1)
                        j += 1
                    }
                }
            }
            return false
        }

        mutating func breakPatterns(_ a: Int, _ b: Int) {
            let length = b - a
            guard length >= 8 else { return }
            var random = UInt64(length)
            let modulus = UInt(1) << UInt(GoSort.bitLength(UInt(length)))
            var idx = a + (length / 4) * 2 - 1
            while idx <= a + (length / 4) * 2 + 1 {
                random ^= random << 13
                random ^= random >> 7
                random ^= random << 17
                var other = Int(UInt(truncatingIfNeeded: random) & (modulus - 1))
                if other >= length { other -= length }
                swap(idx, a + other)
                idx += 1
            }
        }

        mutating func choosePivot(_ a: Int, _ b: Int) -> (Int, SortedHint) {
            let shortestNinther = 50, maxSwaps = 4 * 3
            let l = b - a
            var swaps = 0
            var i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3
            if l >= 8 {
                if l >= shortestNinther {
                    i = median(i - 1, i, i + 1, &swaps)
                    j = median(j - 1, j, j + 1, &swaps)
                    k = median(k - 1, k, k + 1, &swaps)
                }
                j = median(i, j, k, &swaps)
            }
            switch swaps {
            case 0: return (j, .increasing)
            case maxSwaps: return (j, .decreasing)
            default: return (j, .unknown)
            }
        }

        /// `order2`: the two indices ordered by their items.
        func order2(_ a: Int, _ b: Int, _ swaps: inout Int) -> (Int, Int) {
            if less(b, a) {
                swaps += 1
                return (b, a)
            }
            return (a, b)
        }

        func median(_ a: Int, _ b: Int, _ c: Int, _ swaps: inout Int) -> Int {
            let (a1, b1) = order2(a, b, &swaps)
            let (b2, _) = order2(b1, c, &swaps)
            return order2(a1, b2, &swaps).1
        }

        mutating func reverseRange(_ a: Int, _ b: Int) {
            var i = a, j = b - 1
            while i < j {
                swap(i, j)
                i += 1
                j -= 1
            }
        }
    }
}
