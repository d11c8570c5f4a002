// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kubesim",
    products: [
        // libkubesim.so: the C interface documented in Include/kubesim.h.
        .library(name: "kubesim", type: .dynamic, targets: ["KubeSimC"]),
        // The pure-Swift core, for Swift programs and tests.
        .library(name: "KubeSim", targets: ["KubeSim"]),
        .executable(name: "kubesim-bench", targets: ["KubeSimBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "KubeSim",
            dependencies: ["Yams"]
        ),
        .target(name: "KubeSimC", dependencies: ["KubeSim"]),
        .executableTarget(name: "KubeSimBench", dependencies: ["KubeSim"]),
        .testTarget(
            name: "KubeSimTests",
            dependencies: ["KubeSim", "KubeSimC"],
            exclude: ["Raft/testdata"]
        ),
    ]
)
