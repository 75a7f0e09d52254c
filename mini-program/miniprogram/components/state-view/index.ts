/** The loading, empty and error states every page shows; the error state has a retry button. */
Component({
  properties: {
    status: { type: String, value: "loading" },
    message: { type: String, value: "" },
    emptyText: { type: String, value: "暂无内容" },
  },
  methods: {
    onRetry() {
      this.triggerEvent("retry");
    },
  },
});
