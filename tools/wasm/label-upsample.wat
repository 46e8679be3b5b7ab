;; The labeler's upsampling of first-layer projections to the label grid, 4 channels per SIMD step.
;; Assembled by tools/wasm/build.mjs into src/compute/interpreter/label-upsample-wasm.ts; used by
;; src/compute/interpreter/upsample-kernel.ts.
;;
;; Data is channel-last: a "row" is r pixels of h floats each. Bilinear resampling (PyTorch
;; align_corners=False) is done separably: `blend` mixes the two source rows of one output row, then
;; `hacc` mixes two pixels of that blended row for every output pixel, for every group of maps, and adds
;; them to the bias. Each output pixel's arithmetic is the same whatever part of the grid is computed,
;; so a grid computed in tiles equals the grid computed at once, bit for bit.
;;
;; The memory is not shared: onnxruntime-node reads and writes only non-shared buffers, and the
;; labeler hands it views of this memory (no copies).
(module
  (import "env" "memory" (memory 1 65536))

  ;; dst[i] = w0·a[i] + w1·b[i] for i < n (n a multiple of 4), byte offsets.
  (func (export "blend")
    (param $dst i32) (param $a i32) (param $b i32) (param $n i32) (param $w0 f32) (param $w1 f32)
    (local $end i32) (local $v0 v128) (local $v1 v128)
    (local.set $v0 (f32x4.splat (local.get $w0)))
    (local.set $v1 (f32x4.splat (local.get $w1)))
    ;; Sixteen floats per step, then four.
    (local.set $end (i32.add (local.get $dst) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const -64))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add
          (f32x4.mul (local.get $v0) (v128.load (local.get $a))) (f32x4.mul (local.get $v1) (v128.load (local.get $b)))))
        (v128.store offset=16 (local.get $dst) (f32x4.add
          (f32x4.mul (local.get $v0) (v128.load offset=16 (local.get $a))) (f32x4.mul (local.get $v1) (v128.load offset=16 (local.get $b)))))
        (v128.store offset=32 (local.get $dst) (f32x4.add
          (f32x4.mul (local.get $v0) (v128.load offset=32 (local.get $a))) (f32x4.mul (local.get $v1) (v128.load offset=32 (local.get $b)))))
        (v128.store offset=48 (local.get $dst) (f32x4.add
          (f32x4.mul (local.get $v0) (v128.load offset=48 (local.get $a))) (f32x4.mul (local.get $v1) (v128.load offset=48 (local.get $b)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $next)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const 15)) (i32.const 2))))
    (block $tailDone
      (loop $nextTail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add
          (f32x4.mul (local.get $v0) (v128.load (local.get $a))) (f32x4.mul (local.get $v1) (v128.load (local.get $b)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $nextTail))))

  ;; One output row of `len` pixels (h floats each, h a multiple of 4), written channel-first:
  ;;   out[c·stride + 4x] = bias[c] + Σ_g (w0·V_g[j0][c] + w1·V_g[j1][c]), groups in table order,
  ;; where `out` is the byte offset of channel 0's first pixel of the row and `stride` the bytes between
  ;; channels. Blocks of 16 pixels are summed channel-last in `scratch` (16·h floats), then transposed
  ;; 4×4 on the way out, so that each channel receives a whole 64-byte line per block.
  ;; groups: per group 8 bytes: i32 byte offset of its blended row V_g, i32 byte offset of its taps.
  ;; taps: per output pixel 16 bytes: i32 j0·h·4, i32 j1·h·4 (byte offsets into V_g), f32 w0, f32 w1.
  (func (export "hacc")
    (param $out i32) (param $stride i32) (param $bias i32) (param $h i32) (param $len i32)
    (param $groups i32) (param $g i32) (param $scratch i32)
    (local $x i32) (local $n i32) (local $p i32) (local $k i32) (local $i i32) (local $bytes i32)
    (local $o i32) (local $src i32) (local $entry i32) (local $tap i32) (local $pa i32) (local $pb i32)
    (local $v0 v128) (local $v1 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $dst i32) (local $lane i32) (local $quads i32) (local $q i32) (local $d i32) (local $end i32)
    (local.set $bytes (i32.shl (local.get $h) (i32.const 2)))
    (block $rowDone
      (loop $nextBlock
        (br_if $rowDone (i32.ge_u (local.get $x) (local.get $len)))
        (local.set $n (i32.sub (local.get $len) (local.get $x)))
        (if (i32.gt_u (local.get $n) (i32.const 16)) (then (local.set $n (i32.const 16))))
        ;; Sum pixels x … x+n−1 into scratch rows 0 … n−1.
        (local.set $p (i32.const 0))
        (block $pixelsDone
          (loop $nextPixel
            (br_if $pixelsDone (i32.ge_u (local.get $p) (local.get $n)))
            (local.set $o (i32.add (local.get $scratch) (i32.mul (local.get $p) (local.get $bytes))))
            (local.set $src (local.get $bias))
            (local.set $k (i32.const 0))
            (block $groupsDone
              (loop $nextGroup
                (br_if $groupsDone (i32.ge_u (local.get $k) (local.get $g)))
                (local.set $entry (i32.add (local.get $groups) (i32.shl (local.get $k) (i32.const 3))))
                (local.set $tap (i32.add (i32.load offset=4 (local.get $entry))
                  (i32.shl (i32.add (local.get $x) (local.get $p)) (i32.const 4))))
                (local.set $pa (i32.add (i32.load (local.get $entry)) (i32.load (local.get $tap))))
                (local.set $pb (i32.add (i32.load (local.get $entry)) (i32.load offset=4 (local.get $tap))))
                (local.set $v0 (f32x4.splat (f32.load offset=8 (local.get $tap))))
                (local.set $v1 (f32x4.splat (f32.load offset=12 (local.get $tap))))
                ;; Four quads per step (pointer bumps and immediate offsets), then single quads.
                (local.set $d (local.get $o))
                (local.set $end (i32.add (local.get $o) (i32.and (local.get $bytes) (i32.const -64))))
                (block $chDone
                  (loop $nextCh
                    (br_if $chDone (i32.ge_u (local.get $d) (local.get $end)))
                    (v128.store (local.get $d) (f32x4.add (f32x4.add (v128.load (local.get $src))
                      (f32x4.mul (local.get $v0) (v128.load (local.get $pa)))) (f32x4.mul (local.get $v1) (v128.load (local.get $pb)))))
                    (v128.store offset=16 (local.get $d) (f32x4.add (f32x4.add (v128.load offset=16 (local.get $src))
                      (f32x4.mul (local.get $v0) (v128.load offset=16 (local.get $pa)))) (f32x4.mul (local.get $v1) (v128.load offset=16 (local.get $pb)))))
                    (v128.store offset=32 (local.get $d) (f32x4.add (f32x4.add (v128.load offset=32 (local.get $src))
                      (f32x4.mul (local.get $v0) (v128.load offset=32 (local.get $pa)))) (f32x4.mul (local.get $v1) (v128.load offset=32 (local.get $pb)))))
                    (v128.store offset=48 (local.get $d) (f32x4.add (f32x4.add (v128.load offset=48 (local.get $src))
                      (f32x4.mul (local.get $v0) (v128.load offset=48 (local.get $pa)))) (f32x4.mul (local.get $v1) (v128.load offset=48 (local.get $pb)))))
                    (local.set $d (i32.add (local.get $d) (i32.const 64)))
                    (local.set $src (i32.add (local.get $src) (i32.const 64)))
                    (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
                    (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
                    (br $nextCh)))
                (local.set $end (i32.add (local.get $o) (local.get $bytes)))
                (block $tailDone
                  (loop $nextTail
                    (br_if $tailDone (i32.ge_u (local.get $d) (local.get $end)))
                    (v128.store (local.get $d) (f32x4.add (f32x4.add (v128.load (local.get $src))
                      (f32x4.mul (local.get $v0) (v128.load (local.get $pa)))) (f32x4.mul (local.get $v1) (v128.load (local.get $pb)))))
                    (local.set $d (i32.add (local.get $d) (i32.const 16)))
                    (local.set $src (i32.add (local.get $src) (i32.const 16)))
                    (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
                    (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
                    (br $nextTail)))
                (local.set $src (local.get $o))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $nextGroup)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nextPixel)))
        ;; Write them channel-first, 4 channels at a time: a 4×4 transpose per 4 pixels, then the last
        ;; n mod 4 pixels lane by lane.
        (local.set $quads (i32.shr_u (local.get $n) (i32.const 2)))
        (local.set $i (i32.const 0))
        (local.set $dst (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 2))))
        (block $outDone
          (loop $nextOut
            (br_if $outDone (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $q (i32.const 0))
            (block $quadsDone
              (loop $nextQuad
                (br_if $quadsDone (i32.ge_u (local.get $q) (local.get $quads)))
                (local.set $o (i32.add (i32.add (local.get $scratch) (local.get $i))
                  (i32.mul (i32.shl (local.get $q) (i32.const 2)) (local.get $bytes))))
                (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                  (v128.load (local.get $o)) (v128.load (i32.add (local.get $o) (local.get $bytes)))))
                (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
                  (v128.load (local.get $o)) (v128.load (i32.add (local.get $o) (local.get $bytes)))))
                (local.set $o (i32.add (local.get $o) (i32.shl (local.get $bytes) (i32.const 1))))
                (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                  (v128.load (local.get $o)) (v128.load (i32.add (local.get $o) (local.get $bytes)))))
                (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
                  (v128.load (local.get $o)) (v128.load (i32.add (local.get $o) (local.get $bytes)))))
                (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $q) (i32.const 4))))
                (v128.store (local.get $d)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                (v128.store (i32.add (local.get $d) (local.get $stride))
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                (v128.store (i32.add (local.get $d) (i32.shl (local.get $stride) (i32.const 1)))
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                (v128.store (i32.add (local.get $d) (i32.mul (local.get $stride) (i32.const 3)))
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $nextQuad)))
            ;; value (pixel p, channel c + lane) → out + (c + lane)·stride + 4(x + p)
            (local.set $p (i32.shl (local.get $quads) (i32.const 2)))
            (block $shortDone
              (loop $nextShort
                (br_if $shortDone (i32.ge_u (local.get $p) (local.get $n)))
                (local.set $lane (i32.const 0))
                (block $lanesDone
                  (loop $nextLane
                    (br_if $lanesDone (i32.ge_u (local.get $lane) (i32.const 4)))
                    (f32.store
                      (i32.add (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 2)))
                        (i32.mul (local.get $lane) (local.get $stride)))
                      (f32.load (i32.add (i32.add (local.get $scratch) (i32.mul (local.get $p) (local.get $bytes)))
                        (i32.add (local.get $i) (i32.shl (local.get $lane) (i32.const 2))))))
                    (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
                    (br $nextLane)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $nextShort)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $stride) (i32.const 2))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $nextOut)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $nextBlock))))

  ;; One pixel of an output row, written channel-last at `out` (h floats): the same sums as `hacc`'s
  ;; (bias, then each group's w0 term, then its w1 term, 4 channels per step), for pixel `x` of the row
  ;; given by the table at `groups` (as for `hacc`). The early-decided vote gathers its open pixels so.
  (func (export "gacc")
    (param $out i32) (param $bias i32) (param $h i32) (param $groups i32) (param $g i32) (param $x i32)
    (local $k i32) (local $entry i32) (local $tap i32) (local $pa i32) (local $pb i32) (local $src i32)
    (local $d i32) (local $end i32) (local $v0 v128) (local $v1 v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $h) (i32.const 2))))
    (local.set $src (local.get $bias))
    (block $groupsDone
      (loop $nextGroup
        (br_if $groupsDone (i32.ge_u (local.get $k) (local.get $g)))
        (local.set $entry (i32.add (local.get $groups) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $tap (i32.add (i32.load offset=4 (local.get $entry)) (i32.shl (local.get $x) (i32.const 4))))
        (local.set $pa (i32.add (i32.load (local.get $entry)) (i32.load (local.get $tap))))
        (local.set $pb (i32.add (i32.load (local.get $entry)) (i32.load offset=4 (local.get $tap))))
        (local.set $v0 (f32x4.splat (f32.load offset=8 (local.get $tap))))
        (local.set $v1 (f32x4.splat (f32.load offset=12 (local.get $tap))))
        (local.set $d (local.get $out))
        (block $chDone
          (loop $nextCh
            (br_if $chDone (i32.ge_u (local.get $d) (local.get $end)))
            (v128.store (local.get $d) (f32x4.add (f32x4.add (v128.load (local.get $src))
              (f32x4.mul (local.get $v0) (v128.load (local.get $pa)))) (f32x4.mul (local.get $v1) (v128.load (local.get $pb)))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (br $nextCh)))
        (local.set $src (local.get $out))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $nextGroup))))
)
