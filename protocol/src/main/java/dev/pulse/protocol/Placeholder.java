package dev.pulse.protocol; final class Placeholder {}
