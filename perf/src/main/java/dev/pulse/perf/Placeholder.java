package dev.pulse.perf; final class Placeholder {}
