global using ModelCache = Coherence.Platform.Caches.SetAssociativeCache<Coherence.Platform.Caches.LineBytes, Coherence.Platform.Caches.LruPolicy>;
