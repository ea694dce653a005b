// PostGraphile 5.1.x declares Node >= 22 and calls Promise.withResolvers (ES2024). On Node 20,
// load this first (`node --import ./bench/polyfill.mjs …`): a spec-equivalent polyfill
// (NewPromiseCapability on `this`, so subclasses work), installed only when missing.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    value: function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
